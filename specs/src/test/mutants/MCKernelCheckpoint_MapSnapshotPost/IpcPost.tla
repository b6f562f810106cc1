------------------------------ MODULE IpcPost ------------------------------
(***************************************************************************)
(* What the IPC operations must achieve, stated apart from the operators  *)
(* that do it (Ipc.tla): a send puts exactly one message, from the sender *)
(* with the words and item it sent, at the end of the receiver's vector   *)
(* and wakes the receiver; a receive takes the oldest message and leaves  *)
(* the rest in order; queued messages are never altered in between, so   *)
(* the message a receive takes carries the sender and words it was sent   *)
(* with.  Witnesses as in CSpacePost.  For the checker only.               *)
(***************************************************************************)
EXTENDS Ipc

\* r's vector gained one message at its end, from t of generation g with
\* words w and item [kind, slot]; r is awake; no other vector or waiting flag changed; the
\* pair's in-flight count went up by one.
DeliverEffect(t, r, g, w, kind, slot) ==
    /\ Len(inbox'[r]) = Len(inbox[r]) + 1
    /\ \A i \in 1..Len(inbox[r]) : inbox'[r][i] = inbox[r][i]
    /\ inbox'[r][Len(inbox'[r])] = [from |-> t, gen |-> g, words |-> w, item |-> [kind |-> kind, slot |-> slot]]
    /\ \A x \in Threads : x # r => inbox'[x] = inbox[x]
    /\ ~waiting'[r]
    /\ \A x \in Threads : x # r => waiting'[x] = waiting[x]
    /\ hInFlight'[t][r] = hInFlight[t][r] + 1
    /\ \A x, y \in Threads : <<x, y>> # <<t, r>> => hInFlight'[x][y] = hInFlight[x][y]

\* t's oldest message left its vector, the others stay in order; the in-flight
\* count of that message's sender to t went down by one; nothing else changed.
ReceiveEffect(t) ==
    /\ Len(inbox[t]) > 0
    /\ Len(inbox'[t]) = Len(inbox[t]) - 1
    /\ \A i \in 1..Len(inbox'[t]) : inbox'[t][i] = inbox[t][i + 1]
    /\ \A x \in Threads : x # t => inbox'[x] = inbox[x]
    /\ waiting' = waiting
    /\ hInFlight'[inbox[t][1].from][t] = hInFlight[inbox[t][1].from][t] - 1
    /\ \A x, y \in Threads : <<x, y>> # <<inbox[t][1].from, t>> => hInFlight'[x][y] = hInFlight[x][y]

\* t blocks, with nothing to receive; nothing else changed.
WaitEffect(t) ==
    /\ Len(inbox[t]) = 0
    /\ waiting'[t]
    /\ \A x \in Threads : x # t => waiting'[x] = waiting[x]
    /\ inbox' = inbox
    /\ hInFlight' = hInFlight

\* Every step leaves each vector as it was, or with one message added at its
\* end, or with its oldest message taken: no queued message is ever altered,
\* reordered or dropped from the middle.
VectorsChangeAtEnds ==
    [][UNCHANGED inbox \/ \A x \in Threads :
          \/ inbox'[x] = inbox[x]
          \/ /\ Len(inbox'[x]) = Len(inbox[x]) + 1
             /\ \A i \in 1..Len(inbox[x]) : inbox'[x][i] = inbox[x][i]
          \/ /\ Len(inbox'[x]) + 1 = Len(inbox[x])
             /\ \A i \in 1..Len(inbox'[x]) : inbox'[x][i] = inbox[x][i + 1]]_inbox

CapsKeepInIpc == cspace' = cspace /\ capAnc' = capAnc

(* ---------------------- IPC on its own (MCIpc) ------------------------- *)

IpcSendPost ==
    [][UNCHANGED <<ipcVars, cspaceVars>> \/ \A t \in Threads, d \in LocalIds, w \in Payloads :
          IpcSend(t, d, w) => DeliverEffect(t, cspace[t][d].obj, 0, w, "none", 0) /\ CapsKeepInIpc]_<<ipcVars, cspaceVars>>

IpcReceivePost ==
    [][UNCHANGED <<ipcVars, cspaceVars>> \/ \A t \in Threads : IpcReceive(t) => ReceiveEffect(t) /\ CapsKeepInIpc]_<<ipcVars, cspaceVars>>

IpcWaitPost ==
    [][UNCHANGED <<ipcVars, cspaceVars>> \/ \A t \in Threads : IpcWait(t) => WaitEffect(t) /\ CapsKeepInIpc]_<<ipcVars, cspaceVars>>

(* ---------------------------- witnesses -------------------------------- *)

\* A running thread holds a send capability to a thread whose vector is full:
\* its send is refused.
NoRefusedSend ==
    ~\E t \in Threads, d \in LocalIds :
        /\ ~waiting[t]
        /\ "send" \in cspace[t][d].rights
        /\ Len(inbox[cspace[t][d].obj]) = MaxMsgs

\* A waiting thread is woken.
NoWakeUp == [][UNCHANGED waiting \/ \A x \in Threads : waiting[x] => waiting'[x]]_waiting

=============================================================================
