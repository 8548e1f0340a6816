package dev.kefurelay.media;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses in CIDR notation ({@code 10.1.0.0/16}, {@code fd00::/8}); a single address
 * without a prefix length is a block of one. Only literal addresses are taken: a host name here would be looked up
 * once, when the setting is read, and mean another address by the time a URL is fetched.
 *
 * @param network the block's first address, IPv4 (4 bytes) or IPv6 (16 bytes); bits after the prefix are ignored
 * @param bits    the prefix length
 */
public record AddressRange(byte[] network, int bits) {

    /** Dotted IPv4 with four parts only: Java would also take {@code 10.1} as 10.0.0.1, which nobody means. */
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Hex digits and colons (an IPv4 tail with dots): anything else with a colon is no address, e.g. a URL. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

    public AddressRange {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + network.length);
        }
        if (bits < 0 || bits > network.length * 8) {
            throw new IllegalArgumentException("prefix length " + bits + " is not 0 to " + network.length * 8);
        }
    }

    /**
     * @param text {@code 10.1.0.0/16}, {@code 192.168.1.7}, {@code fd00::/8}, {@code [::1]}
     * @return the range, or null when the text is no literal address (it may be a host name)
     * @throws IllegalArgumentException for a literal address with a wrong prefix length
     */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        boolean v6 = IPV6.matcher(address).matches();
        if (!v6 && !IPV4.matcher(address).matches()) {
            return null;
        }
        byte[] bytes;
        try {
            // a literal (checked above; brackets make Java refuse a bad IPv6 one): parsed, never looked up
            bytes = InetAddress.getByName(v6 ? "[" + address + "]" : address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has no prefix length after the '/'");
            }
            if (v6 && bytes.length == 4) {
                bits -= 96; // ::ffff:a.b.c.d/n, which Java reads as the IPv4 address it maps
            }
        }
        if (bits < 0 || bits > bytes.length * 8) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length out of range");
        }
        return new AddressRange(bytes, bits);
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Whether the address (4 or 16 bytes) is in this block; an IPv4 address is never in an IPv6 block. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.bits == bits && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + bits;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes, checked when made
        }
    }
}
