using Canary.Controller.Benchmarks;

// Controller benchmarks on the emulated API server; see README.md.
//   engine 1000,10000 [--idle 60] [--changes 200] [--spacing-ms 100] [--timeout 480]   fleet with the real rollout engine
//   releases 1000 [--interval 2s] [--window 10s] [--rps 20] [--timeout 480]            simultaneous releases checked against Prometheus
//     both: [--hosts 1] [--threadiness 2] [--qps 100] [--burst 250] [--leader-election true]
//   [placeholder] [sizes=100,1000,10000] [idleSeconds=30] [changes=200]                 placeholder reconciler, controller in process
//   controller SETTINGS_JSON                                                           internal: one controller host (started by the modes above)
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

return args.FirstOrDefault() switch
{
    "controller" => await ControllerChild.MainAsync(args[1]),
    "engine" => await EngineBench.MainAsync(new Cli(args.Skip(1)), stop.Token),
    "releases" => await ReleaseBench.MainAsync(new Cli(args.Skip(1)), stop.Token),
    "placeholder" => await PlaceholderBench.MainAsync(args[1..]),
    _ => await PlaceholderBench.MainAsync(args),
};
