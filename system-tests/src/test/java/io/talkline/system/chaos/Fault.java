package io.talkline.system.chaos;

/**
 * One fault of the run and how it is undone, as an operator or an orchestrator would: a killed or
 * stopped instance is started again at once, a stopped server after its outage.
 */
record Fault(String name, Action action) {

    @FunctionalInterface
    interface Action {
        /** Injects the fault and undoes it; returns what it measured of the recovery. */
        Recovery run() throws Exception;
    }

    /**
     * @param stopMillis how long a SIGTERM took to end the process (drain), or -1
     * @param readyMillis from starting a process again until it was ready, or -1
     */
    record Recovery(long stopMillis, long readyMillis) {
        static final Recovery NONE = new Recovery(-1, -1);
    }
}
