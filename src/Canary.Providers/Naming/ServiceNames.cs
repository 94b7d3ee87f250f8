namespace Canary.Providers.Naming;

/// <summary>Names of the three Services generated for a Canary.</summary>
/// <param name="Apex">The address clients use: <c>service.name</c>, or the target's name.</param>
/// <param name="Primary"><c>&lt;apex&gt;-primary</c>, selecting the primary pods.</param>
/// <param name="Canary"><c>&lt;apex&gt;-canary</c>, selecting the target (canary) pods.</param>
public sealed record ServiceNames(string Apex, string Primary, string Canary);
