package dev.candor.domain.thread;

/** Whether a stored message is whole. An assistant answer cut short by stop_run is kept, marked UNFINISHED. */
public enum MessageStatus {
    COMPLETE, UNFINISHED
}
