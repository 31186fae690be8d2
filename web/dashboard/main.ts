import { ConventionsDocument } from '../generated/dashboard.js';
import { graphql } from '../shared/graphql.js';
import { takeTokenFromLocation } from '../shared/token.js';
takeTokenFromLocation();
void graphql(ConventionsDocument, {}, { language: 'en' }).then((r) => { document.getElementById('app')!.textContent = JSON.stringify(r.data); });
