namespace Canary.Webhooks.Hooks;

/// <summary>Why a webhook call did not pass.</summary>
public enum WebhookFailure
{
    /// <summary>The call passed (2xx).</summary>
    None,

    /// <summary>The receiver answered with a non-2xx status.</summary>
    HttpStatus,

    /// <summary>No answer within the hook's timeout (on the last attempt).</summary>
    Timeout,

    /// <summary>The receiver could not be reached: DNS, refused connection, TLS failure, reset.</summary>
    ConnectionError,

    /// <summary>The hook itself is unusable (bad URL or timeout); nothing was sent.</summary>
    InvalidHook,
}
