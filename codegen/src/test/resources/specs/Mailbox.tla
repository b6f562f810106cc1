------------------------------- MODULE Mailbox -------------------------------
(* Threads send 6-word messages into each other's bounded inboxes (an IPC fast path in miniature). *)
EXTENDS Naturals, Sequences

CONSTANTS Threads,   \* the threads (model values)
          MaxMsgs,   \* inbox bound
          MaxWord    \* message words are 0..MaxWord

VARIABLES inbox,     \* each thread's queue of received messages
          sent,      \* messages sent by each thread
          hSent      \* ghost: total messages sent

Msg == [from : Threads, words : [1..6 -> 0..MaxWord]]

TypeOK == /\ inbox \in [Threads -> Seq(Msg)]
          /\ \A t \in Threads : Len(inbox[t]) <= MaxMsgs
          /\ sent \in [Threads -> Nat]
          /\ hSent \in Nat

Init == /\ inbox = [t \in Threads |-> <<>>]
        /\ sent = [t \in Threads |-> 0]
        /\ hSent = 0

HasRoom(d) == Len(inbox[d]) < MaxMsgs
HasMail(t) == inbox[t] /= <<>>

Send(t, d, w1, w2, w3, w4, w5, w6) ==
  /\ HasRoom(d)
  /\ inbox' = [inbox EXCEPT ![d] = Append(@, [from |-> t, words |-> <<w1, w2, w3, w4, w5, w6>>])]
  /\ sent' = [sent EXCEPT ![t] = @ + 1]
  /\ hSent' = hSent + 1

Receive(t) == /\ HasMail(t)
              /\ inbox' = [inbox EXCEPT ![t] = Tail(@)]
              /\ UNCHANGED <<sent, hSent>>

Forward(t, d) == /\ HasMail(t)
                 /\ HasRoom(d)
                 /\ t /= d
                 /\ inbox' = [inbox EXCEPT ![t] = Tail(@), ![d] = Append(@, [Head(inbox[t]) EXCEPT !.from = t])]
                 /\ UNCHANGED <<sent, hSent>>

Next == \/ \E t, d \in Threads, w1, w2, w3, w4, w5, w6 \in 0..MaxWord : Send(t, d, w1, w2, w3, w4, w5, w6)
        \/ \E t \in Threads : Receive(t)
        \/ \E t, d \in Threads : Forward(t, d)

Bounded == \A t \in Threads : Len(inbox[t]) <= MaxMsgs
WordsInRange == \A t \in Threads : \A i \in 1..Len(inbox[t]) : \A k \in 1..6 : inbox[t][i].words[k] <= MaxWord
InboxesHoldSent == hSent >= 0
=============================================================================
