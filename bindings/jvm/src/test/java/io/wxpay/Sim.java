package io.wxpay;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** wxpay-sim started by a test, on a free loopback port, and its control paths. */
final class Sim implements AutoCloseable {
    static final String APPID = "wxd930ea5d5a258f4f";
    static final String MCH_ID = "10000100";
    static final String API_KEY = "192006250b4c09247ec02edce69f6a2d";
    static final String APP_SECRET = "wxpaysim0app0secret0000000000000";
    static final String OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

    private final Process process;
    final String url;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    Sim(String... extra) throws Exception {
        String binary = System.getProperty("wxpay.sim");
        if (binary == null || !Files.isExecutable(Path.of(binary))) {
            throw new IllegalStateException("wxpay-sim is not built at " + binary + " (make sim-bin)");
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(binary, "--port", "0", "--time-scale", "0.001"));
        cmd.addAll(List.of(extra));
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (first == null || !first.startsWith("wxpay-sim listening on ")) {
            process.destroy();
            throw new IllegalStateException("wxpay-sim did not start: " + first);
        }
        url = first.substring("wxpay-sim listening on ".length()).trim();
    }

    static Path vectors() {
        return Path.of(System.getProperty("wxpay.root"), "tests", "vectors");
    }

    /** The options of a client of the simulated merchant, plus [extra]. */
    Map<String, Object> options(Object... extra) {
        Map<String, Object> o = new HashMap<>(Map.of("appid", APPID, "mch_id", MCH_ID, "api_key", API_KEY,
            "app_secret", APP_SECRET, "base_url", url));
        for (int i = 0; i < extra.length; i += 2) o.put((String) extra[i], extra[i + 1]);
        return o;
    }

    /** The simulated service provider's client options. */
    Map<String, Object> providerOptions() {
        return new HashMap<>(Map.of("appid", "wx8888888888888888", "mch_id", "1900000100",
            "api_key", "wxpaysim0service0provider0key001", "base_url", url));
    }

    HttpResponse<String> send(String method, String pathOrUrl, String body) throws Exception {
        String target = pathOrUrl.startsWith("http") ? pathOrUrl : url + pathOrUrl;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST of a JSON body to a control path; its JSON answer. */
    Object post(String path, Object body) throws Exception {
        HttpResponse<String> r = send("POST", path, Json.write(body));
        if (r.statusCode() != 200) throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        return Json.read(r.body());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> getJson(String path) throws Exception {
        return (Map<String, Object>) Json.read(send("GET", path, null).body());
    }

    /** How many calls of each kind reached the simulator. */
    long stat(String name) throws Exception {
        return (Long) getJson("/sim/stats").get(name);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
