namespace Canary.Sandbox.Tests.Workloads;

/// <summary>Bounded polling for an outcome: no timing is asserted, only that the state is reached within a generous bound.</summary>
public static class Eventually
{
    public static async Task<T> ReachAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        T last;
        while (true)
        {
            last = await read();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}; last state: {k8s.KubernetesJson.Serialize(last)}");
            }

            await Task.Delay(50);
        }
    }
}
