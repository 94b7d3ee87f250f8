using YamlDotNet.RepresentationModel;

namespace Canary.Manifests.Tests;

/// <summary>What the ClusterRoles and Roles among some manifests grant, one <c>group/resource:verb</c> per verb (core group: empty).</summary>
internal static class RbacGrants
{
    public static HashSet<string> Of(IEnumerable<YamlMappingNode> documents)
    {
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in documents.Where(d => d.Kind() is "ClusterRole" or "Role").SelectMany(r => r.Seq("rules")))
        {
            var values = (string field) => rule.Seq(field).Cast<YamlScalarNode>().Select(n => n.Value!);
            foreach (var (group, resource, verb) in values("apiGroups").SelectMany(g => values("resources").SelectMany(r => values("verbs").Select(v => (g, r, v)))))
            {
                granted.Add($"{group}/{resource}:{verb}");
            }
        }

        return granted;
    }
}
