global using Canary.Api.Vocabulary;
