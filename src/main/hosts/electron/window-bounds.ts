import { z } from 'zod'

export const WindowBoundsSchema = z.object({
  x: z.int(),
  y: z.int(),
  width: z.int().min(320).max(10000),
  height: z.int().min(240).max(10000),
  maximized: z.boolean()
})
export type WindowBounds = z.infer<typeof WindowBoundsSchema>

interface Area {
  x: number
  y: number
  width: number
  height: number
}

/**
 * The saved bounds if at least a 100×50 corner of the title bar area is on some display now,
 * else null (the window opens centred): a monitor unplugged since must not hide the window.
 */
export function visibleBounds(saved: unknown, workAreas: Area[]): WindowBounds | null {
  const parsed = WindowBoundsSchema.safeParse(saved)
  if (!parsed.success) return null
  const bounds = parsed.data
  const onScreen = workAreas.some((area) => {
    const overlapX = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x)
    const overlapY = Math.min(bounds.y + 50, area.y + area.height) - Math.max(bounds.y, area.y)
    return overlapX >= 100 && overlapY >= 50
  })
  return onScreen ? bounds : null
}
