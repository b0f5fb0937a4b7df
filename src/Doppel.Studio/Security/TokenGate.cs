using Microsoft.AspNetCore.Http;

namespace Doppel.Studio.Security;

/// <summary>
/// Lets a request through only with the token: in the query (<c>?token=</c>, the URL Studio
/// prints; the answer then sets an HttpOnly, SameSite=Strict cookie, and a page request is
/// redirected to the same URL without the token so it does not stay in the address bar or the
/// history), in that cookie, or as <c>Authorization: Bearer</c> (for scripts). Anything else gets
/// 401 with an empty body: not even a page saying what this server is.
/// </summary>
public sealed class TokenGate(AccessToken token, Func<string> cookieName)
{
    public const string QueryKey = "token";

    /// <summary>Named after the port, so two Studios on one machine (cookies ignore ports) keep their own.</summary>
    public string CookieName => cookieName();

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Query.TryGetValue(QueryKey, out var fromQuery) && fromQuery.Count == 1 && token.Matches(fromQuery[0]))
        {
            context.Response.Cookies.Append(CookieName, token.Value, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
            });
            if (HttpMethods.IsGet(request.Method) && !request.Path.StartsWithSegments("/api"))
            {
                context.Response.Redirect(request.PathBase + request.Path + WithoutToken(request.Query));
                return;
            }
            await next(context);
            return;
        }
        if (token.Matches(request.Cookies[CookieName]) || token.Matches(Bearer(request)))
        {
            await next(context);
            return;
        }
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
    }

    private static string? Bearer(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
    }

    private static string WithoutToken(IQueryCollection query)
    {
        var rest = query.Where(q => q.Key != QueryKey).SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? ""))).ToList();
        return rest.Count == 0 ? "" : "?" + string.Join("&", rest);
    }
}
