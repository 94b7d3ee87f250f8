namespace Canary.Controller.Queue;

/// <summary>Computes how long to wait before the given retry attempt (1 = first retry).</summary>
public interface IBackoff
{
    /// <summary>The delay before retry number <paramref name="attempt"/>.</summary>
    TimeSpan Delay(int attempt);
}
