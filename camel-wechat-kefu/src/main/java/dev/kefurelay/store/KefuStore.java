package dev.kefurelay.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowPlace;

/**
 * Every state the component keeps beyond one message: secrets it cannot get back (authorizer refresh tokens, the
 * verify ticket), the access tokens, the ids delivered in the last 48 hours, the accounts paused for their daily
 * quota, the window book (each user's customer-service window) and, where several relays share the store, the
 * media ids they uploaded. Two backends pass the same contract ({@code KefuStoreContract} in the tests): {@link LocalStore} (files
 * in one folder, for one relay) and {@link JdbcStore} (PostgreSQL, shared by every relay of a service).
 * Exceptions name the key or account, never a value.
 */
public interface KefuStore extends AutoCloseable {

    /** How long ids count as delivered: a resend within this window is not sent again. */
    Duration ID_WINDOW = Duration.ofHours(48);

    /**
     * How long the window book keeps an entry after its window closed ({@link #purgeWindows} at now minus this): as
     * long as the longest window lasts (a user's message: 48 h). A late push of an interaction older than a purged
     * entry then opens a window that has closed already, so forgetting the entry cannot open a window again.
     */
    Duration WINDOW_KEPT = Arrays.stream(Interaction.values()).map(Interaction::within)
            .max(Comparator.naturalOrder()).orElseThrow();

    Optional<String> get(String key);

    /** Stores the value; returns once it is durable (on disk, committed). */
    void put(String key, String value);

    /**
     * Replaces the value only if the stored one is {@code expected} ({@code null}: only if there is none), in one
     * step that no other writer can split; returns whether it did.
     */
    boolean compareAndSet(String key, String expected, String next);

    /** The stored access token of this account (e.g. {@code access:wx123}), if any. */
    Optional<SharedToken> token(String account);

    /**
     * Under the account's lock (waiting at most the store's lock timeout, then {@link StoreLockTimeoutException}):
     * reads the token again, hands it to {@code renew} and stores what that returns, if it is another token. Only
     * one caller in the whole service runs {@code renew} for an account at a time; the others wait for it and then
     * see what it stored. A holder that dies frees the lock (its connection, its process).
     */
    SharedToken renewToken(String account, Function<Optional<SharedToken>, SharedToken> renew);

    /** Forgets the stored token only if it still is this value (WeChat rejected it); a newer one is kept. */
    void dropToken(String account, String value);

    /**
     * Claims a message id of an account before it is sent. Completes at once with {@code SEND} (claimed: end it
     * with {@link IdClaim#delivered} or {@link IdClaim#failed}) or {@code DUPLICATE} (delivered within 48 h), or,
     * while another copy is in flight (here or at another relay), once that copy ended, or with {@code GAVE_UP}
     * after the store's id wait. {@code id == null}: {@code SEND} with nothing claimed. While the store cannot be
     * reached the claim waits for it (the message is not failed for it); {@link #stopWaiting} ends that wait with a
     * {@link StoreUnavailableException}.
     */
    CompletableFuture<IdClaim> claimId(String appid, String id);

    /** Forgets ids delivered before this instant; returns how many. */
    int purgeIds(Instant before);

    /**
     * The media_id uploaded for this content ({@code type}: the upload type, {@code sha256}: the content's SHA-256)
     * of this account, if it is still usable now (by the store's clock). Media ids are kept only by a store that
     * several relays share, so that one upload serves them all; a store one relay uses alone ({@link LocalStore})
     * keeps none and finds none: that relay remembers its own uploads in memory ({@code LocalMediaIds}), and a copy
     * here would only double them.
     */
    Optional<SharedMedia> mediaId(String appid, String type, String sha256);

    /**
     * Stores a fresh upload's media_id for the other relays, usable until its expiry (a store one relay uses alone
     * keeps nothing, see {@link #mediaId}). Two relays that uploaded the same content at once both store theirs; the
     * later write wins, and either id works until it expires (an upload is idempotent for the message).
     */
    void putMediaId(String appid, String type, String sha256, SharedMedia media);

    /** Forgets the content's media_id only while it still is this one (WeChat refused it); a newer upload is kept. */
    void dropMediaId(String appid, String type, String sha256, String mediaId);

    /** Forgets the media ids expired at this instant; returns how many. */
    int purgeMedia(Instant before);

    // ---- the window book: per account and user, the customer-service window the user's last interaction opened ----

    /**
     * The user did something that opens a window ({@code interaction}, at {@code at}): it replaces the window
     * before, whatever was left of it (WeChat's counts do not add up). An interaction older than the window the
     * book holds changes nothing (pushes may arrive out of order, and WeChat retries them).
     */
    void recordInteraction(String appid, String openid, Interaction interaction, Instant at);

    /**
     * Takes one place for a customer-service message in the user's window at {@code now}, in one step no other
     * relay can split: seven callers at once for a window with five places left get five {@code TAKEN}. A window
     * that closed or whose places are used up is {@code CLOSED}; a user the book has no entry for is
     * {@code UNKNOWN}.
     */
    WindowPlace takeWindowPlace(String appid, String openid, Instant now);

    /**
     * A message that took a place was not delivered (WeChat refused it, or it never reached WeChat): its place is
     * free again, but only in the window it was taken from ({@code openedAt}); a newer window keeps its count.
     */
    void returnWindowPlace(String appid, String openid, Instant openedAt);

    /**
     * custom/send answered 45015 or 45047 for a call made at {@code sentAt}: the user's window is closed until
     * their next interaction. A window opened after {@code sentAt} stays open (the user wrote meanwhile); a user
     * the book did not know gets a closed entry, so the next message goes straight to its fallback.
     */
    void closeWindow(String appid, String openid, Instant sentAt);

    /** How many users have a window with this account that is open at {@code now} (places left or not). */
    int openWindows(String appid, Instant now);

    /** Forgets windows that closed before this instant (and closed entries made before it); returns how many. */
    int purgeWindows(Instant before);

    /**
     * A message went out on another channel that answers with its own msgid (template/send's {@code msgid}), which
     * later pushes name ({@code TEMPLATESENDJOBFINISH}'s {@code MsgID}): keeps which message id it was, so that
     * the push can be joined to the message. Kept as long as delivered ids ({@link #ID_WINDOW}, purged with
     * them).
     */
    void rememberChannelMsgId(String appid, String channelMsgId, String id);

    /** The message id sent as this channel msgid ({@link #rememberChannelMsgId}), if still kept. */
    Optional<String> messageIdOf(String appid, String channelMsgId);

    /** Pauses the account until this instant (its daily quota); a later pause wins. */
    void pause(String appid, Instant until);

    /** Until when the account is paused, if a pause was stored (it may have passed). */
    Optional<Instant> pausedUntil(String appid);

    /** Returns if the store can be used now, throws {@link StoreException} saying why not. May wait on the store. */
    void check();

    /**
     * Readiness: whether the store can be used, as last found, without waiting on it. The default asks
     * {@link #check} (a local folder answers at once); a database's store keeps it from a background probe.
     */
    default StoreState state() {
        try {
            check();
            return StoreState.UP;
        } catch (StoreException e) {
            return StoreState.down(e.getMessage());
        }
    }

    /**
     * The application stops: what waits for the store to come back (see {@link #claimId}) stops waiting and fails
     * with a {@link StoreUnavailableException}, so that a stop is not held up by a store that is away.
     */
    default void stopWaiting() {
    }

    /** Where the store is, for logs: a folder or a JDBC URL without credentials. */
    String describe();

    @Override
    void close();
}
