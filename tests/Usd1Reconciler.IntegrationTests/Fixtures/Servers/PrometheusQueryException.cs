using System.Net;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>Prometheus refused a query: 400 bad_data for a parse error, 422 execution, 503 timeout/canceled.</summary>
internal sealed class PrometheusQueryException(string query, HttpStatusCode statusCode, string errorType, string error)
    : Exception($"Prometheus answered {(int)statusCode} {errorType} to `{query}`: {error}")
{
    public string Query { get; } = query;

    public HttpStatusCode StatusCode { get; } = statusCode;

    public string ErrorType { get; } = errorType;

    public string Error { get; } = error;
}
