//! A bound on the memory of annotated articles on their way from the parsing
//! pool to the writer.
//!
//! A bound in messages is no bound in memory: a message is one file or one
//! piece of a feed, a few hundred bytes or sixteen megabytes of text. The
//! pool takes room here for each message before sending it, by its estimated
//! size, and waits while the articles already in flight fill the budget; the
//! writer gives the room back once it has handed the message's documents to
//! Tantivy. One message is always let through when nothing is in flight, so
//! an article larger than the whole budget still goes, alone.

use std::sync::{Condvar, Mutex, MutexGuard};

/// The room shared by the senders and the one receiver.
pub struct InFlight {
    limit: usize,
    state: Mutex<State>,
    room: Condvar,
}

struct State {
    bytes: usize,
    /// The receiver has stopped (after an error): senders stop waiting.
    closed: bool,
}

impl InFlight {
    pub fn new(limit: usize) -> InFlight {
        InFlight {
            limit,
            state: Mutex::new(State {
                bytes: 0,
                closed: false,
            }),
            room: Condvar::new(),
        }
    }

    /// Waits until `bytes` more fit in the budget, then counts them in.
    /// Returns false, at once, when the receiver has stopped.
    pub fn take(&self, bytes: usize) -> bool {
        let mut state = self.lock();
        while !state.closed && state.bytes > 0 && state.bytes + bytes > self.limit {
            state = self
                .room
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        if state.closed {
            return false;
        }
        state.bytes += bytes;
        true
    }

    /// Gives back the room of a message the writer is done with.
    pub fn give_back(&self, bytes: usize) {
        let mut state = self.lock();
        state.bytes = state.bytes.saturating_sub(bytes);
        drop(state);
        self.room.notify_all();
    }

    /// The receiver stops: every waiting and later [`InFlight::take`]
    /// returns false.
    pub fn close(&self) {
        self.lock().closed = true;
        self.room.notify_all();
    }

    /// Bytes counted in now.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent whatever panicked while holding it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn senders_wait_for_room_and_never_exceed_the_budget() {
        let gate = Arc::new(InFlight::new(100));
        let peak = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = std::sync::mpsc::channel::<usize>();
        let senders: Vec<_> = (0..4)
            .map(|_| {
                let (gate, peak, tx) = (gate.clone(), peak.clone(), tx.clone());
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        assert!(gate.take(30));
                        peak.fetch_max(gate.bytes(), Ordering::SeqCst);
                        tx.send(30).unwrap();
                    }
                })
            })
            .collect();
        drop(tx);
        let mut received = 0;
        for bytes in rx {
            std::thread::sleep(Duration::from_micros(50));
            gate.give_back(bytes);
            received += 1;
        }
        for sender in senders {
            sender.join().unwrap();
        }
        assert_eq!(received, 200);
        assert!(peak.load(Ordering::SeqCst) <= 90, "{peak:?}");
        assert_eq!(gate.bytes(), 0);
    }

    #[test]
    fn a_message_larger_than_the_budget_goes_alone() {
        let gate = InFlight::new(100);
        assert!(gate.take(500));
        gate.give_back(500);
        assert!(gate.take(10));
        assert_eq!(gate.bytes(), 10);
    }

    #[test]
    fn closing_releases_waiting_senders() {
        let gate = Arc::new(InFlight::new(100));
        assert!(gate.take(90));
        let waiting = {
            let gate = gate.clone();
            std::thread::spawn(move || gate.take(50))
        };
        std::thread::sleep(Duration::from_millis(50));
        gate.close();
        assert!(!waiting.join().unwrap());
        assert!(!gate.take(1));
    }
}
