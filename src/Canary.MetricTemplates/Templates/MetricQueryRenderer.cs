using System.Collections.Concurrent;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Canary.MetricTemplates.Templates;

/// <summary>
/// Renders MetricTemplate queries with Scriban so that Flagger's Go-template text renders identically:
/// <c>{{ namespace }}</c>, <c>{{ target }}</c>, <c>{{ interval }}</c>, <c>{{ variables.key }}</c>, <c>{{- x -}}</c>,
/// Go comments and <c>{{ index variables "key" }}</c>. An unknown variable or key is an error naming it (Flagger's <c>missingkey=error</c>).
/// </summary>
public sealed class MetricQueryRenderer
{
    // Parsed templates are immutable and reusable; the cache is bounded because query text comes from users.
    private const int MaxCachedTemplates = 512;
    private readonly ConcurrentDictionary<string, Template> _parsed = new(StringComparer.Ordinal);

    /// <summary>Renders <paramref name="queryTemplate"/> with <paramref name="model"/>; throws <see cref="QueryRenderException"/> on a parse or variable error.</summary>
    public string Render(string queryTemplate, MetricTemplateModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queryTemplate);
        ArgumentNullException.ThrowIfNull(model);
        var template = Parse(queryTemplate);
        var context = new TemplateContext
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = 100,
            RecursiveLimit = 10,
            LimitToString = 64 * 1024,
            CancellationToken = cancellationToken,
        };
        context.PushGlobal(ToScriptObject(model));
        try
        {
            return template.Render(context);
        }
        catch (ScriptAbortException) when (cancellationToken.IsCancellationRequested)
        {
            // Scriban reports cancellation as an abort; the caller expects the usual exception.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (ScriptRuntimeException ex)
        {
            throw new QueryRenderException($"query render error: {ex.OriginalMessage} at {ex.Span.Start}", ex);
        }
    }

    /// <summary>Parses (and caches) a query template; throws <see cref="QueryRenderException"/> with Scriban's messages when invalid.</summary>
    public Template Parse(string queryTemplate)
    {
        ArgumentNullException.ThrowIfNull(queryTemplate);
        if (_parsed.TryGetValue(queryTemplate, out var cached))
        {
            return cached;
        }

        GoTemplateCompatibility.ThrowOnUnsupportedSyntax(queryTemplate);
        var template = Template.Parse(GoTemplateCompatibility.Translate(queryTemplate));
        if (template.HasErrors)
        {
            throw new QueryRenderException($"query template parse error: {string.Join("; ", template.Messages.Select(m => m.ToString()))}");
        }

        if (_parsed.Count >= MaxCachedTemplates)
        {
            _parsed.Clear();
        }

        _parsed[queryTemplate] = template;
        return template;
    }

    private static ScriptObject ToScriptObject(MetricTemplateModel model)
    {
        var variables = new ScriptObject(StringComparer.Ordinal);
        foreach (var (key, value) in model.Variables)
        {
            variables[key] = value;
        }

        var globals = new ScriptObject(StringComparer.Ordinal)
        {
            ["name"] = model.Name,
            ["namespace"] = model.Namespace,
            ["target"] = model.Target,
            ["service"] = model.Service,
            ["ingress"] = model.Ingress,
            ["route"] = model.Route,
            ["interval"] = model.Interval,
            ["workload"] = model.Workload,
            ["side"] = model.Side,
            ["variables"] = variables,
        };
        globals.Import("index", new Func<ScriptObject, string, object>(Index));
        return globals;
    }

    // Go's {{ index variables "key" }}, strict like missingkey=error.
    private static object Index(ScriptObject map, string key) =>
        map.TryGetValue(key, out var value) ? value ?? string.Empty : throw new ScriptRuntimeException(default, $"map has no entry for key \"{key}\"");
}
