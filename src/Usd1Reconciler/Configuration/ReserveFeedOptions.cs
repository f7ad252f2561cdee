using System.ComponentModel.DataAnnotations;

namespace Usd1Reconciler.Configuration;

/// <summary>One reserve feed.</summary>
public sealed class ReserveFeedOptions
{
    /// <summary>Required, unique. Letters, digits, '-' and '_' (it labels snapshots, rejections and metrics).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "must be 1-64 letters, digits, '-' or '_'")]
    public string Name { get; set; } = string.Empty;

    /// <summary>Required: <c>Http</c>, <c>File</c> or <c>ProofOfReserve</c>.</summary>
    [Required(ErrorMessage = "required: Http, File or ProofOfReserve")]
    public ReserveFeedKind? Kind { get; set; }

    /// <summary>Http (and ProofOfReserve over HTTP): the document's http(s) URL.</summary>
    [HttpUrl]
    public string? Url { get; set; }

    /// <summary>File (and ProofOfReserve from a file): the file; relative to the configuration file's folder.</summary>
    public string? Path { get; set; }

    /// <summary>ProofOfReserve: <value>Default: the feed's Name.</value> The custodian its figure is held by (the concentration rule groups by it).</summary>
    public string? Custodian { get; set; }

    /// <summary><value>Default: None.</value> How documents are authenticated.</summary>
    public FeedAuthOptions Auth { get; set; } = new();

    /// <summary><value>Default 1 min.</value> Interval between polls under <c>usd1rec run</c>.</summary>
    [PositiveDuration]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><value>Default 26 h.</value> Freshness budget: a snapshot whose as-of time is older than this makes reconciliation Inconclusive.</summary>
    [PositiveDuration]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(26);

    /// <summary><value>Default 30 s.</value> Time one HTTP fetch may take.</summary>
    [PositiveDuration]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
