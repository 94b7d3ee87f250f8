// The shared vocabulary of the API (alert severities, webhook types, checksums) is used throughout.
global using Canary.Api.Vocabulary;
