using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Canary.Webhooks.Tests")]
