import { packageConfig } from '../../tsup.base'

export default packageConfig(['src/index.ts', 'src/dialect.ts'], { splitting: true })
