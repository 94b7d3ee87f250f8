using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Canary.Api.Tests")]
