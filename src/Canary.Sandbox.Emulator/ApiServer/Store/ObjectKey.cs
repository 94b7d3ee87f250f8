namespace Canary.Sandbox.ApiServer.Store;

/// <summary>Where an object lives: its storage table (group, resource), namespace ("" if cluster scoped) and name.</summary>
internal readonly record struct ObjectKey(string Group, string Resource, string Namespace, string Name);
