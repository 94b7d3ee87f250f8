using System.Collections.Immutable;

namespace Canary.Rollout.StateMachine;

/// <summary>Answers gathered so far in one tick; immutable, so re-deciding with more answers stays pure.</summary>
public sealed class TickAnswers
{
    private readonly ImmutableDictionary<Question, CheckOutcome> _answers;

    private TickAnswers(ImmutableDictionary<Question, CheckOutcome> answers) => _answers = answers;

    /// <summary>No answers yet.</summary>
    public static TickAnswers None { get; } = new(ImmutableDictionary<Question, CheckOutcome>.Empty);

    /// <summary>A copy with <paramref name="question"/> answered.</summary>
    public TickAnswers With(Question question, CheckOutcome outcome) => new(_answers.SetItem(question, outcome));

    /// <summary>The answer to <paramref name="question"/>, when given.</summary>
    public bool TryGet(Question question, out CheckOutcome outcome) => _answers.TryGetValue(question, out outcome!);
}
