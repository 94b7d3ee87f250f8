using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Canary.Providers.Tests")]
