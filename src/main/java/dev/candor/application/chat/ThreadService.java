package dev.candor.application.chat;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.ThreadRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Threads and messages as users see them: every access is checked against the owner. */
@ApplicationScoped
public class ThreadService {

    @Inject
    ThreadRepository threads;

    /** The owner's thread; THREAD_NOT_FOUND when it does not exist or belongs to someone else (the same answer). */
    public ChatThread thread(String threadId, String ownerId) {
        return threads.find(threadId, ownerId).orElseThrow(() -> new CandorException(ErrorCode.THREAD_NOT_FOUND,
                "thread " + threadId + " was not found", false));
    }

    /** True when {@code ownerId} owns the thread. */
    public boolean owns(String threadId, String ownerId) {
        return threads.find(threadId, ownerId).isPresent();
    }

    static String titleFrom(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        if (oneLine.length() <= 60) {
            return oneLine;
        }
        int cut = Character.isHighSurrogate(oneLine.charAt(56)) ? 56 : 57; // never split a surrogate pair
        return oneLine.substring(0, cut) + "...";
    }
}
