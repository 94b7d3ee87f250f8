using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer.Watch;

/// <summary>One event of an in-process watch: the object is a private copy (a Status for Error, a stub for Bookmark).</summary>
public sealed record WatchEvent(WatchEventType Type, JsonObject Value);
