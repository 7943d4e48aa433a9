package dev.candor.interfaces.websocket;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The load balancers whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are believed
 * ({@code candor.ws.trusted-proxies}: addresses or CIDR blocks, IPv4 or IPv6). Behind a balancer every connection
 * comes from the balancer's address, so the per-address connection limit would count all clients as one, and a
 * balancer that ends TLS would make every browser's {@code https} origin look foreign. A header from any other peer is
 * ignored: a client cannot choose its own address.
 */
final class TrustedProxies {

    private record Block(byte[] network, int bits) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            return rest == 0 || ((address[full] ^ network[full]) & (0xff << (8 - rest))) == 0;
        }
    }

    /** The client's address and the scheme it used, as far as the trusted balancers tell. */
    record Client(String address, String scheme) {
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Parses {@code 10.0.0.5}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}; throws on anything else. */
    static TrustedProxies of(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            int slash = entry.indexOf('/');
            byte[] network = literal(slash < 0 ? entry : entry.substring(0, slash))
                    .orElseThrow(() -> new IllegalArgumentException("candor.ws.trusted-proxies: '" + entry
                            + "' is not an IP address or CIDR block"));
            int bits = slash < 0 ? network.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            if (bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException("candor.ws.trusted-proxies: bad prefix length in '" + entry + "'");
            }
            blocks.add(new Block(network, bits));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    boolean trusts(String address) {
        return literal(address).map(bytes -> blocks.stream().anyMatch(b -> b.contains(bytes))).orElse(false);
    }

    /**
     * The client as seen through trusted balancers: walking {@code X-Forwarded-For} from the right (the entry the
     * nearest balancer added) while the hop is trusted, the first untrusted address is the client. Without a trusted
     * peer, the peer itself and the request's own scheme.
     */
    Client client(String peer, String scheme, List<String> forwardedFor, String forwardedProto) {
        if (!trusts(peer)) {
            return new Client(peer, scheme);
        }
        List<String> hops = new ArrayList<>();
        forwardedFor.forEach(header -> {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        });
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            client = hops.get(i);
            if (!trusts(client)) {
                break;
            }
        }
        // The value the nearest balancer set (it should replace whatever the client sent, as docker/haproxy does).
        String[] protos = forwardedProto == null ? new String[0] : forwardedProto.split(",");
        String proto = protos.length == 0 ? "" : protos[protos.length - 1].strip().toLowerCase();
        return new Client(client, proto.equals("https") || proto.equals("http") ? proto : scheme);
    }

    /** The bytes of an IP literal; never a DNS lookup. */
    private static Optional<byte[]> literal(String text) {
        String candidate = text.strip();
        if (candidate.startsWith("[") && candidate.endsWith("]")) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        boolean ipv4 = candidate.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = candidate.contains(":") && candidate.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(candidate).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
