// The part of noise-handshake (holepunchto, Apache-2.0) Parley uses; the package ships no types.
declare module 'noise-handshake' {
  interface KeyPair {
    publicKey: Uint8Array
    secretKey: Uint8Array
  }
  interface Curve {
    DHLEN: number
    PKLEN: number
    SKLEN: number
    ALG: string
    generateKeyPair(secretKey?: Uint8Array): KeyPair
    dh(publicKey: Uint8Array, keyPair: KeyPair): Uint8Array
  }
  class Noise {
    constructor(
      pattern: 'XX' | 'IK' | 'NN' | 'XK',
      initiator: boolean,
      staticKeyPair?: KeyPair,
      options?: { curve?: Curve }
    )
    readonly s: KeyPair
    complete: boolean
    /** After completion: the key this side sends with, and the one it receives with. */
    tx: Uint8Array
    rx: Uint8Array
    /** After completion: the remote static key, and the hash of the whole handshake. */
    rs: Uint8Array
    hash: Uint8Array
    initialise(prologue: Uint8Array, remoteStatic?: Uint8Array): void
    send(payload?: Uint8Array): Uint8Array
    recv(message: Uint8Array): Uint8Array
  }
  export = Noise
}
