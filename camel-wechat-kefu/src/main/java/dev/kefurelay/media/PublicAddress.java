package dev.kefurelay.media;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Whether an address is public: reachable on the internet, not the relay's own host or a network behind it. A URL
 * source is input from other systems; fetched from a private address it would let any sender read the relay's
 * internal services (an admin API, a cloud's metadata at 169.254.169.254) or probe them. What is not public follows
 * IANA's special-purpose address registries: loopback, private, link-local, unique-local, carrier-grade NAT,
 * multicast, unspecified, benchmarking, documentation, reserved. An IPv6 address that carries an IPv4 address
 * (mapped, compatible, NAT64, 6to4) is as public as the IPv4 address it carries.
 */
public final class PublicAddress {

    private static final List<AddressRange> NOT_PUBLIC_V4 = ranges(
            "0.0.0.0/8", // "this network"; 0.0.0.0 reaches the host itself
            "10.0.0.0/8",
            "100.64.0.0/10", // carrier-grade NAT
            "127.0.0.0/8",
            "169.254.0.0/16", // link-local, cloud metadata services
            "172.16.0.0/12",
            "192.0.0.0/24", // IETF protocol assignments
            "192.0.2.0/24", // documentation
            "192.88.99.0/24", // 6to4 relay anycast, deprecated
            "192.168.0.0/16",
            "198.18.0.0/15", // benchmarking
            "198.51.100.0/24", // documentation
            "203.0.113.0/24", // documentation
            "224.0.0.0/4", // multicast
            "240.0.0.0/4"); // reserved, and the broadcast address

    /** Global unicast: every other IPv6 address (loopback, unique-local, link-local, multicast, …) is not public. */
    private static final AddressRange GLOBAL_V6 = AddressRange.parse("2000::/3");
    private static final List<AddressRange> NOT_PUBLIC_V6 = ranges(
            "2001::/23", // IETF protocol assignments: Teredo, benchmarking, ORCHID
            "2001:db8::/32", // documentation
            "3fff::/20"); // documentation

    /** IPv6 blocks that carry an IPv4 address, with the byte it starts at. */
    private static final AddressRange COMPATIBLE = AddressRange.parse("::/96");
    /** Made from bytes: Java reads any text of a mapped address as the IPv4 address itself. */
    private static final AddressRange MAPPED = new AddressRange(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0}, 96);
    private static final AddressRange NAT64 = AddressRange.parse("64:ff9b::/96");
    private static final AddressRange SIX_TO_FOUR = AddressRange.parse("2002::/16");

    private PublicAddress() {
    }

    public static boolean isPublic(InetAddress address) {
        return isPublic(address.getAddress());
    }

    static boolean isPublic(byte[] address) {
        if (address.length == 4) {
            return NOT_PUBLIC_V4.stream().noneMatch(r -> r.contains(address));
        }
        byte[] v4 = carriedV4(address);
        if (v4 != null) {
            return isPublic(v4);
        }
        return GLOBAL_V6.contains(address) && NOT_PUBLIC_V6.stream().noneMatch(r -> r.contains(address));
    }

    /** The IPv4 address an IPv6 address carries, or null. {@code ::} and {@code ::1} carry 0.0.0.0 and 0.0.0.1. */
    private static byte[] carriedV4(byte[] v6) {
        if (COMPATIBLE.contains(v6) || MAPPED.contains(v6) || NAT64.contains(v6)) {
            return Arrays.copyOfRange(v6, 12, 16);
        }
        if (SIX_TO_FOUR.contains(v6)) {
            return Arrays.copyOfRange(v6, 2, 6);
        }
        return null;
    }

    private static List<AddressRange> ranges(String... cidrs) {
        return Arrays.stream(cidrs).map(AddressRange::parse).toList();
    }
}
