using Canary.Api.Vocabulary;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.StateMachine;

/// <summary>Keeps each webhook's last answer of the rollout; an unchanged answer keeps its first time, so polling a gate writes nothing.</summary>
internal static class WebhookAnswers
{
    public static IReadOnlyList<WebhookAnswer> With(IReadOnlyList<WebhookAnswer> answers, WebhookCall call, Question question, DateTimeOffset now)
    {
        var type = string.IsNullOrEmpty(call.Hook.Type) ? TypeOf(question) : call.Hook.Type;
        var message = call.Passed ? "passed" : call.Reason;
        var earlier = answers.FirstOrDefault(a => a.Name == call.Name && a.Type == type);
        if (earlier is not null && earlier.Passed == call.Passed && earlier.Message == message)
        {
            return answers;
        }

        var answer = new WebhookAnswer(call.Name, type, now, call.Passed, message);
        return [.. answers.Where(a => a != earlier).Append(answer).TakeLast(RolloutStatus.MaxWebhooks)];
    }

    private static string TypeOf(Question question) => question switch
    {
        Question.ConfirmRollout => WebhookType.ConfirmRollout.ToName(),
        Question.PreRollout => WebhookType.PreRollout.ToName(),
        Question.ConfirmTrafficIncrease => WebhookType.ConfirmTrafficIncrease.ToName(),
        Question.ConfirmPromotion => WebhookType.ConfirmPromotion.ToName(),
        Question.RollbackHooks => WebhookType.Rollback.ToName(),
        _ => WebhookType.Rollout.ToName(),
    };
}
