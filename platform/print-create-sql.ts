/** Development aid: prints the DDL MikroORM would create for a subgraph's entities (to draft a migration). */
import { MikroORM } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { SUBGRAPHS } from './subgraphs.js';

const name = process.argv[2] ?? '';
const definition = Object.hasOwn(SUBGRAPHS, name) ? SUBGRAPHS[name as keyof typeof SUBGRAPHS] : undefined;
if (!definition) throw new Error(`usage: print-create-sql <${Object.keys(SUBGRAPHS).join('|')}>`);
const orm = await MikroORM.init({
  entities: definition.entities,
  schema: definition.name,
  metadataProvider: ReflectMetadataProvider,
  dbName: 'unused',
});
console.log(await orm.schema.getCreateSchemaSQL({ wrap: false }));
await orm.close();
