package dev.kefurelay.receive;

import java.time.Duration;

import dev.kefurelay.wecom.KfPuller;

/**
 * The relay's WeCom receiving once the component runs: the callbacks' route hands each callback here (stored, then
 * a pull), and at start the pulls a relay before this one left open are taken up. A callback that arrives before
 * the component started is answered 503: WeCom calls again.
 */
public final class WeComReceiving implements AutoCloseable {

    private volatile KfPuller puller;
    private volatile WeComPulls pulls;

    /** The component runs: pulls go to {@code sink}; the open ones of before are pulled now. */
    public void start(KfPuller puller, KfPuller.Sink sink, Duration lease) {
        this.puller = puller;
        WeComPulls started = new WeComPulls(puller, sink, lease);
        this.pulls = started;
        started.resume();
    }

    void requested(String corpid, String openKfid, String token) {
        KfPuller p = puller;
        if (p == null) {
            throw new IllegalStateException("WeCom receiving has not started yet");
        }
        p.requested(corpid, openKfid, token);
    }

    void trigger(String openKfid) {
        WeComPulls p = pulls;
        if (p != null) {
            p.trigger(openKfid);
        }
    }

    @Override
    public void close() {
        WeComPulls p = pulls;
        pulls = null;
        if (p != null) {
            p.close();
        }
    }
}
