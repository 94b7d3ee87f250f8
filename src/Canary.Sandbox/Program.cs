// Entry point of the sandbox (emulated API server, simulators, demo). Each verb is a command in Commands/.
using System.CommandLine;
using Canary.Sandbox.Commands;

var root = new RootCommand("Canary sandbox: an emulated Kubernetes API server and simulators for tests, benchmarks and demos")
{
    ServeCommand.Create(),
    DemoCommand.Create(),
    ScenariosCommand.Create(),
    GitOpsCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
