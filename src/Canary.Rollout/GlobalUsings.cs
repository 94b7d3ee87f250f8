global using CanaryResource = Canary.Api.V1Beta1.Canary;
global using Canary.Api.Vocabulary;
