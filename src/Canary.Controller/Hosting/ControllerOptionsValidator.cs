using System.Text.RegularExpressions;
using Canary.Providers.Registry;

namespace Canary.Controller.Hosting;

/// <summary>Checks option values that parse but make no sense; every message names the flag.</summary>
public static partial class ControllerOptionsValidator
{
    /// <summary>Returns one message per invalid value; empty when all is well.</summary>
    public static IReadOnlyList<string> Validate(ControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        void Check(bool ok, string flag, string message)
        {
            if (!ok)
            {
                errors.Add($"Invalid value for {flag}: {message}");
            }
        }

        Check(options.Threadiness is >= 1 and <= 1000, "--threadiness", $"must be between 1 and 1000 (got {options.Threadiness}).");
        Check(options.KubeApiQps > 0, "--kube-api-qps", $"must be greater than 0 (got {options.KubeApiQps}).");
        Check(options.KubeApiBurst >= 1, "--kube-api-burst", $"must be at least 1 (got {options.KubeApiBurst}).");
        Check(options.HealthPort is >= 1 and <= 65535, "--health-port", $"must be a port between 1 and 65535 (got {options.HealthPort}).");
        Check(options.MetricsPort is >= 1 and <= 65535, "--metrics-port", $"must be a port between 1 and 65535 (got {options.MetricsPort}).");
        Check(options.DashboardPort is >= 0 and <= 65535, "--dashboard-port", $"must be 0 (off) or a port between 1 and 65535 (got {options.DashboardPort}).");
        Check(options.DashboardPort == 0 || (options.DashboardPort != options.HealthPort && options.DashboardPort != options.MetricsPort), "--dashboard-port",
            $"must differ from --health-port and --metrics-port (got {options.DashboardPort}).");
        Check(!options.DashboardControls || options.DashboardPort != 0, "--dashboard-controls", "needs the dashboard: set --dashboard-port too.");
        var providers = TrafficProviderRegistry.Default;
        Check(providers.Find(options.MeshProvider) is not null, "--mesh-provider",
            Api.V1Beta1.TrafficProviders.Retired.TryGetValue(options.MeshProvider, out var retired)
                ? $"'{options.MeshProvider}' is not supported: {retired}."
                : $"'{options.MeshProvider}' is not one of the implemented providers: {string.Join(", ", providers.Names)}.");
        Check(options.Namespace is null || Dns1123Label().IsMatch(options.Namespace), "--namespace",
            $"'{options.Namespace}' is not a valid namespace name.");
        Check(Dns1123Label().IsMatch(options.LeaderElectionNamespace), "--leader-election-namespace",
            $"'{options.LeaderElectionNamespace}' is not a valid namespace name.");
        Check(options.AllowedRedirectHosts.All(h => h == "*" || RedirectHost().IsMatch(h)), "--allowed-redirect-hosts",
            $"'{string.Join(',', options.AllowedRedirectHosts)}' must be a comma-separated list of host names or host:port (or *).");
        Check(options.SelectorLabels.Count > 0 && options.SelectorLabels.All(l => LabelKey().IsMatch(l)), "--selector-labels",
            $"'{string.Join(',', options.SelectorLabels)}' must be a comma-separated list of label keys.");
        Check(options.IncludeLabelPrefix.All(p => p == "*" || LabelKeyPrefix().IsMatch(p)), "--include-label-prefix",
            $"'{string.Join(',', options.IncludeLabelPrefix)}' must be a comma-separated list of label key prefixes (or *).");
        Check(options.Kubeconfig is null || File.Exists(options.Kubeconfig), "--kubeconfig",
            $"file '{options.Kubeconfig}' does not exist.");
        Check(!(options.EnableSharding && options.EnableLeaderElection), "--enable-sharding",
            "cannot be combined with --enable-leader-election: with sharding every replica works on its share, with leader election one works on all.");
        Check(options.RenewDeadline < options.LeaseDuration && options.RetryPeriod < options.RenewDeadline, "--enable-leader-election",
            "lease timings must satisfy retry period < renew deadline < lease duration.");
        return errors;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    // A host name or IPv4 address, optionally with a port (what OutboundHttpOptions.AllowedRedirectHosts matches).
    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9.]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?$")]
    private static partial Regex RedirectHost();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();

    // The start of a label key: any run of the characters a key may hold ("app.kubernetes.io/", "team-").
    [GeneratedRegex(@"^[A-Za-z0-9][-A-Za-z0-9_./]{0,315}$")]
    private static partial Regex LabelKeyPrefix();
}
