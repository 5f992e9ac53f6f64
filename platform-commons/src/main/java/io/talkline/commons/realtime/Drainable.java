package io.talkline.commons.realtime;

/** A service's open sockets, as {@link Draining} closes them when the instance stops. */
public interface Drainable {

    /** Closes every socket with 1012 (service restart) so that its client reconnects elsewhere. */
    void drain();

    /** True from the first {@link #drain()} on: new upgrades are refused. */
    boolean draining();
}
