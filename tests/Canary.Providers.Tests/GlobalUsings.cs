// The resource type is called Canary, like the root namespace; an alias keeps every file unambiguous.
global using CanaryResource = Canary.Api.V1Beta1.Canary;
