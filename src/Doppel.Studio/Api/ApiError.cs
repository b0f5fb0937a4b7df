using Doppel.Core;
using Microsoft.AspNetCore.Http;

namespace Doppel.Studio.Api;

/// <summary>
/// Turns expected failures into JSON answers the page can show: a <see cref="DoppelException"/>
/// is 400 (404 when it says "not found") with its message and hint; a request body over the
/// upload limit is 413 with the limit in words. Anything else is left to the server (500, no details).
/// </summary>
public sealed class ApiError(long maxUploadBytes)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (DoppelException e) when (!context.Response.HasStarted)
        {
            int status = e.Message.Contains("not found", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            await Write(context, status, e.Message, e.Hint);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await TooLarge(context);
        }
        catch (InvalidDataException e) when (!context.Response.HasStarted && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            // The multipart reader's own limit (a part larger than the form options allow).
            await TooLarge(context);
        }
    }

    public string TooLargeMessage => $"the file is too large: Studio accepts uploads up to {Describe(maxUploadBytes)}";

    public Task TooLarge(HttpContext context) =>
        Write(context, StatusCodes.Status413PayloadTooLarge, TooLargeMessage, "upload a smaller file, or restart doppel studio with a larger --max-upload-mb");

    public static Task Write(HttpContext context, int status, string error, string? hint)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        // A 413 during the upload: the rest of the body is not read, so close the connection.
        if (status == StatusCodes.Status413PayloadTooLarge) context.Response.Headers.Connection = "close";
        return context.Response.WriteAsJsonAsync(new { error, hint });
    }

    private static string Describe(long bytes) => bytes >= 1 << 20 ? $"{bytes / (1 << 20)} MiB" : $"{bytes} bytes";
}
