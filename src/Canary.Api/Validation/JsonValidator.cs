using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;

namespace Canary.Api.Validation;

/// <summary>
/// Base validator whose rules are named by JSON field names, so FluentValidation composes Kubernetes paths such as
/// <c>spec.analysis.webhooks[0].url</c>. Every rule runs (no cascade stop) so users see all problems at once.
/// </summary>
public abstract class JsonValidator<T> : AbstractValidator<T>
{
    protected JsonValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Continue;
        ClassLevelCascadeMode = CascadeMode.Continue;
    }

    /// <summary>A rule on one property, named by its JSON name.</summary>
    protected IRuleBuilderInitial<T, TProperty> Field<TProperty>(Expression<Func<T, TProperty>> property) =>
        RuleFor(property).Configure(r => r.PropertyName = JsonName(property));

    /// <summary>A rule whose failures are reported at an explicit relative path (cross-field rules).</summary>
    protected IRuleBuilderInitial<T, TProperty> Field<TProperty>(Expression<Func<T, TProperty>> property, string path) =>
        RuleFor(property).Configure(r => r.PropertyName = path);

    /// <summary>A rule on each element of a collection property; failures are named <c>name[i]</c>.</summary>
    protected IRuleBuilderInitialCollection<T, TElement> Each<TElement>(Expression<Func<T, IEnumerable<TElement>>> property) =>
        RuleForEach(property).Configure(r => r.PropertyName = JsonName(property));

    /// <summary>JSON name of the member an expression reads: its [JsonPropertyName], else its camelCase name.</summary>
    internal static string JsonName(LambdaExpression property)
    {
        var body = property.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : property.Body;
        if (body is not MemberExpression { Member: PropertyInfo member })
        {
            throw new ArgumentException($"'{property}' must read one property.", nameof(property));
        }

        return member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(member.Name);
    }
}
