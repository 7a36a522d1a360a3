import { useEffect, useState } from 'react'

/** The audio devices of one kind, kept current as devices come and go. */
export function useMediaDevices(kind: MediaDeviceKind): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([])
  useEffect(() => {
    const media = navigator.mediaDevices
    if (!media?.enumerateDevices) return
    let live = true
    const refresh = () =>
      void media
        .enumerateDevices()
        .then((all) => live && setDevices(all.filter((device) => device.kind === kind)))
        .catch(() => {})
    refresh()
    media.addEventListener?.('devicechange', refresh)
    return () => {
      live = false
      media.removeEventListener?.('devicechange', refresh)
    }
  }, [kind])
  return devices
}
