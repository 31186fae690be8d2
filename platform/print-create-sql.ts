/** Development aid: prints the DDL MikroORM would create for a subgraph's entities (to draft a migration). */
import { MikroORM } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { SUBGRAPHS } from './subgraphs.js';

const name = process.argv[2] as keyof typeof SUBGRAPHS;
const definition = SUBGRAPHS[name];
if (!definition) throw new Error(`usage: print-create-sql <${Object.keys(SUBGRAPHS).join('|')}>`);
const orm = await MikroORM.init({
  entities: definition.entities,
  schema: definition.name,
  metadataProvider: ReflectMetadataProvider,
  dbName: 'unused',
});
console.log(await orm.schema.getCreateSchemaSQL({ wrap: false }));
await orm.close();
