package dev.evalfleet.contracts;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * What ran a task, as the worker saw it: enough for a reader to set the same run up again. Nothing
 * in it is a credential; values a server did not tell are {@code null}.
 *
 * @param endpoint name of the model endpoint configured on the worker
 * @param provider the API the endpoint speaks ({@code ollama}, {@code openai}, {@code reference});
 *     {@code null} when no endpoint of the worker was asked (given completions, or an endpoint the
 *     worker does not serve)
 * @param baseUrl the endpoint's base URL without user info, query or fragment; {@code null} for an
 *     endpoint without a server
 * @param model model name the task asked for
 * @param modelDigest the model's digest as the server reports it (Ollama: sha256 of its manifest)
 * @param modelDetails what else the server says identifies the model (format, family, size,
 *     quantization; OpenAI-compatible servers: owner, root, context length), as {@code key=value}
 *     pairs
 * @param modelServerVersion the model server's version, where it tells
 * @param scoringSandbox how the scoring service isolates runs ({@code bubblewrap}, {@code unsandboxed})
 * @param scoringPython version of the Python interpreter the scoring service runs programs with
 * @param workerVersion evalfleet version of the worker
 * @param workerCommit git commit the worker was built from
 */
public record RunProvenance(
        String endpoint,
        String provider,
        String baseUrl,
        String model,
        String modelDigest,
        String modelDetails,
        String modelServerVersion,
        String scoringSandbox,
        String scoringPython,
        String workerVersion,
        String workerCommit) {

    public RunProvenance {
        // Here, not only where it is produced, so no message carrying a provenance can hold a secret.
        baseUrl = withoutCredentials(baseUrl);
    }

    /**
     * The URL without user info, query and fragment, where keys and tokens travel; {@code null} when
     * it cannot be parsed, since then nothing tells which part is secret.
     */
    public static String withoutCredentials(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException unparsable) {
            return null;
        }
    }
}
