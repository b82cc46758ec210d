// Type-checked against the testcontainers helper's declarations (needs testcontainers, an optional peer).
import { GitLabRunnersMockContainer, type StartedGitLabRunnersMockContainer } from 'gitlab-runners-mock/testcontainers'

export const container: Promise<StartedGitLabRunnersMockContainer> = new GitLabRunnersMockContainer().withSeed(7).withFixture('./world.json').start()
export async function adminToken(started: StartedGitLabRunnersMockContainer): Promise<string | undefined> {
  await started.reset()
  return started.tokens.users.root
}
