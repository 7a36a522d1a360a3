import type { Friend } from '@shared/contract'
import { useId, useState, type FormEvent } from 'react'

export interface FriendsPanelProps {
  source: 'steam' | 'lan'
  friends: Friend[]
  joinCode: string | null
  joinError: string | null
  /** The code being joined, while it is tried. */
  joining: string | null
  onJoin(code: string): Promise<boolean>
  onCancelJoin(): void
  onRefresh(): void
  /** Steam: open the invite dialog (resolves false where there is none). */
  onInvite?(): Promise<boolean>
}

/**
 * Steam friends with avatar and state; in LAN mode, the rooms found on the network. Either way
 * a room can be joined by its code (a LAN address or a lobby id).
 */
export function FriendsPanel({
  source,
  friends,
  joinCode,
  joinError,
  joining,
  onJoin,
  onCancelJoin,
  onRefresh,
  onInvite
}: FriendsPanelProps) {
  const inputId = useId()
  const [code, setCode] = useState('')
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (code.trim() && (await onJoin(code.trim()))) setCode('')
  }
  return (
    <section className="panel friends" aria-labelledby="friends-heading">
      <h2 id="friends-heading">{source === 'steam' ? 'Friends' : 'Friends (on this network)'}</h2>
      <ul aria-label="Friends" className="friend-list">
        {friends.map((friend) => (
          <li key={friend.id} className="friend">
            {friend.avatar ? (
              <img className="friend-avatar" src={friend.avatar} alt="" width={32} height={32} />
            ) : (
              <span className="avatar" aria-hidden="true">
                {friend.name.slice(0, 1).toUpperCase()}
              </span>
            )}
            <span className="friend-name">{friend.name}</span>
            <span className="friend-state">{friend.state}</span>
            {friend.joinCode && (
              <button type="button" onClick={() => void onJoin(friend.joinCode!)} aria-label={`Join ${friend.name}`}>
                Join
              </button>
            )}
          </li>
        ))}
      </ul>
      {friends.length === 0 && (
        <p className="hint">
          {source === 'steam' ? 'No friends online.' : 'No rooms found on this network. Join one by its address.'}
        </p>
      )}
      <button type="button" onClick={onRefresh}>
        Refresh
      </button>
      <form onSubmit={(event) => void submit(event)} className="join-form">
        <label htmlFor={inputId}>{source === 'steam' ? 'Lobby id' : 'Room address'}</label>
        <input
          id={inputId}
          value={code}
          placeholder={source === 'steam' ? '109775241021923456' : '192.168.1.20:47810'}
          onChange={(event) => setCode(event.target.value)}
        />
        <button type="submit" disabled={joining !== null}>
          Join
        </button>
      </form>
      {joining !== null && (
        <p role="status" className="joining">
          Joining {joining}…{' '}
          <button type="button" onClick={onCancelJoin}>
            Cancel
          </button>
        </p>
      )}
      {joinError && <p role="alert">{joinError}</p>}
      {joinCode && <InviteLine source={source} joinCode={joinCode} onInvite={onInvite} />}
    </section>
  )
}

/** How others get in: the join code with a Copy button, and in Steam mode the invite dialog. */
function InviteLine({
  source,
  joinCode,
  onInvite
}: {
  source: 'steam' | 'lan'
  joinCode: string
  onInvite?(): Promise<boolean>
}) {
  const [said, setSaid] = useState<string | null>(null)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(joinCode)
      setSaid(`Copied ${joinCode}: paste it to a friend.`)
    } catch {
      setSaid('Could not copy: select the code and copy it yourself.')
    }
  }
  return (
    <div className="invite">
      <p className="hint">
        Others join you at <code>{joinCode}</code>{' '}
        <button type="button" onClick={() => void copy()} aria-label={`Copy the join code ${joinCode}`}>
          Copy
        </button>
        {source === 'steam' && onInvite && (
          <>
            {' '}
            <button type="button" onClick={() => void onInvite()}>
              Invite friends…
            </button>
          </>
        )}
      </p>
      {said && (
        <p role="status" className="hint">
          {said}
        </p>
      )}
    </div>
  )
}
