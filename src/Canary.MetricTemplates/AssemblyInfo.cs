using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Canary.MetricTemplates.Tests")]
