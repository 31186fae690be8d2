import { MyWavesDocument } from '../generated/questionnaire.js';
import { graphql } from '../shared/graphql.js';
import { takeTokenFromLocation } from '../shared/token.js';
takeTokenFromLocation();
void graphql(MyWavesDocument, {}, { language: 'en' }).then((r) => { document.getElementById('app')!.textContent = JSON.stringify(r.data); });
