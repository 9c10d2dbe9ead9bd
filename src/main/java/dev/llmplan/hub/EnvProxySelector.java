package dev.llmplan.hub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Proxies as curl and Python's requests read them from the environment: HTTPS_PROXY for https
 * URLs, HTTP_PROXY for http ones (lower-case names too, lower case winning as in curl), and
 * NO_PROXY, a comma-separated list of hosts, domain suffixes (".example.com" or "example.com")
 * or "*", that bypass the proxy. Credentials in a proxy URL are not used.
 */
final class EnvProxySelector extends ProxySelector {
    private final Proxy https;
    private final Proxy http;
    private final List<String> noProxy;

    EnvProxySelector(Map<String, String> env) {
        this.https = proxy(first(env, "https_proxy", "HTTPS_PROXY"));
        this.http = proxy(first(env, "http_proxy", "HTTP_PROXY"));
        List<String> hosts = new ArrayList<>();
        String no = first(env, "no_proxy", "NO_PROXY");
        if (no != null) {
            for (String h : no.split(",")) {
                String t = h.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    hosts.add(t);
                }
            }
        }
        this.noProxy = List.copyOf(hosts);
    }

    /** Whether any proxy is configured (otherwise the client connects directly). */
    boolean any() {
        return https != null || http != null;
    }

    private static String first(Map<String, String> env, String... keys) {
        for (String k : keys) {
            String v = env.get(k);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /** "http://host:port", "host:port" or "socks5://..." (not supported: ignored). */
    static Proxy proxy(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI u = URI.create(value.contains("://") ? value : "http://" + value);
            if (u.getHost() == null || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))) {
                return null;
            }
            int port = u.getPort() > 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            return new Proxy(Proxy.Type.HTTP, new InetSocketAddress(u.getHost(), port));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    boolean bypass(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String n : noProxy) {
            if (n.equals("*")) {
                return true;
            }
            String suffix = n.startsWith(".") ? n : "." + n;
            String bare = n.startsWith(".") ? n.substring(1) : n;
            if (h.equals(bare) || h.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<Proxy> select(URI uri) {
        Proxy p = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        if (p == null || uri.getHost() == null || bypass(uri.getHost())) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(p);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // The request fails with its own error; there is no other proxy to try.
    }
}
