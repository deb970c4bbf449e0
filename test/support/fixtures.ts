import { randomUUID } from 'node:crypto';
import type { PartnershipWorkflowInput } from '@workflows/partnership/partnership.contract';

/** The founding case as a create-partnership request, made unique per call. */
export function foundingCaseRequest(suffix = randomUUID().slice(0, 8)): Record<string, any> {
  return {
    title: `Valencia – Chengdu: clean-energy entrepreneurship ${suffix}`,
    coordinator: { name: 'Ana Programme Officer', email: `ana+${suffix}@iurc.example` },
    areas: [
      'Innovative solutions and entrepreneurship in clean energy',
      'Internationalisation of companies',
      'Co-organised events, seminars and training',
    ],
    organisations: [
      {
        name: `Valencian Institute of Business Competitiveness (IVACE) ${suffix}`,
        region: 'Valencian Community',
        country: 'ES',
        kind: 'agency',
        contacts: [
          {
            name: 'Raquel Aguado Muñoz',
            email: `raquel+${suffix}@ivace.example`,
            role: 'International projects',
            language: 'es',
            timeZone: 'Europe/Madrid',
          },
        ],
      },
      {
        name: `Sichuan Energy Internet Research Institute (EIRI) ${suffix}`,
        region: 'Sichuan',
        country: 'CN',
        kind: 'institute',
        contacts: [
          {
            name: '李伟',
            email: `li.wei+${suffix}@eiri.example`,
            language: 'zh',
            timeZone: 'Asia/Shanghai',
            workingHours: { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] },
          },
        ],
      },
    ],
  };
}

type WorkflowOrganisation = PartnershipWorkflowInput['organisations'][number];

/**
 * A partnership workflow input's two organisations, both new: IVACE, an agency in Spain, and
 * EIRI, an institute in China, each with a random id and no contacts unless `es` or `cn` says
 * otherwise.
 */
export function workflowOrganisations(
  es: Partial<WorkflowOrganisation> = {},
  cn: Partial<WorkflowOrganisation> = {},
): PartnershipWorkflowInput['organisations'] {
  return [
    {
      id: randomUUID(),
      isNew: true,
      name: 'IVACE',
      region: null,
      country: 'ES',
      kind: 'agency',
      contacts: [],
      ...es,
    },
    {
      id: randomUUID(),
      isNew: true,
      name: 'EIRI',
      region: null,
      country: 'CN',
      kind: 'institute',
      contacts: [],
      ...cn,
    },
  ];
}
