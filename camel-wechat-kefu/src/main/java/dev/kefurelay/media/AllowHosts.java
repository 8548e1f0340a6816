package dev.kefurelay.media;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which addresses a URL source may be fetched from: every public one, and those an operator lets through although
 * they are not public (media served inside the network) by host name or address range, e.g.
 * {@code 10.1.0.0/16,media.internal}. A name lets through whatever that name resolves to; a range, any host whose
 * address is in it. The decision is taken on the address the connection goes to, never on how the URL spells it.
 *
 * @param names  host names, lower case, without a trailing dot
 * @param ranges address ranges
 */
public record AllowHosts(Set<String> names, List<AddressRange> ranges) {

    /** Public addresses only: the default. */
    public static final AllowHosts NONE = new AllowHosts(Set.of(), List.of());

    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*"
            + "[a-z0-9_])?)*");

    public AllowHosts {
        names = Set.copyOf(names);
        ranges = List.copyOf(ranges);
    }

    /**
     * @param list comma-separated host names and address ranges; null or blank for none
     * @param key  the setting's name, for the error
     * @throws IllegalArgumentException naming the key and the item that is neither
     */
    public static AllowHosts parse(String list, String key) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        Set<String> names = new LinkedHashSet<>();
        List<AddressRange> ranges = new ArrayList<>();
        for (String raw : list.split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            AddressRange range;
            try {
                range = AddressRange.parse(item);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage() + "; give host names or address "
                        + "ranges such as 10.1.0.0/16, separated by commas");
            }
            if (range != null) {
                ranges.add(range);
            } else if (NAME.matcher(name(item)).matches()) {
                names.add(name(item));
            } else {
                throw new IllegalArgumentException(key + ": '" + item + "' is neither a host name nor an address range "
                        + "such as 10.1.0.0/16; give host names or ranges separated by commas");
            }
        }
        return new AllowHosts(names, ranges);
    }

    /** Whether a URL naming {@code host} may be fetched from {@code address}, which that host resolved to. */
    public boolean permits(String host, InetAddress address) {
        return PublicAddress.isPublic(address) || names.contains(name(host))
                || ranges.stream().anyMatch(r -> r.contains(address));
    }

    /** A host as a URL gives it, as compared: lower case, no brackets, no trailing dot. */
    static String name(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
