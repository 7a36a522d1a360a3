import { configure } from '@testing-library/react'

// findBy*/waitFor give up after 1 s by default; beside the Node tests on two cores a first render
// can take longer. What a test waits for still has to happen, only not within a fixed second.
configure({ asyncUtilTimeout: 5000 })
