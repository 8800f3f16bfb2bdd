import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../common/errors.ts';
import {
  BulkUpdateRequest,
  BulkUpdateResult,
  CheckinRequest,
  CheckoutRequest,
  CreateDeviceRequest,
  CreatePersonRequest,
  CreateSchoolRequest,
  DeviceDetail,
  DeviceFilter,
  DeviceHistory,
  DeviceList,
  DeviceQuery,
  IMPORT_TARGETS,
  ImportJob,
  ImportJobList,
  ImportQuery,
  ImportResult,
  Person,
  PersonDetail,
  PersonList,
  PersonQuery,
  School,
  SchoolList,
  UpdateDeviceRequest,
  UpdatePersonRequest,
  UpdateSchoolRequest,
} from '../../common/inventory.ts';
import { DeviceMdm } from '../../common/mdm.ts';
import { IdParams } from '../../common/users.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireContext } from '../http/authenticate.ts';
import { mdmDataForDevice } from '../mdm/records/service.ts';
import { csvBody } from './csv/body.ts';
import { exportDevicesCsv } from './device-export.ts';
import * as devices from './devices.ts';
import { getImport, listImports, receiveImport } from './imports/service.ts';
import * as people from './people.ts';
import * as schools from './schools.ts';

const DeviceDetailWithMdm = DeviceDetail.extend({ mdm: DeviceMdm });

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function inventoryRoutes({ database: { db }, config }: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const read = { access: 'inventory.read' } as const;
    // CSV bodies reach the handler as a stream, so large files are never held in memory whole.
    app.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) =>
      done(null, payload),
    );

    const write = { access: 'inventory.write' } as const;

    app.get(
      '/devices',
      {
        config: read,
        schema: { tags: ['devices'], querystring: DeviceQuery, response: { 200: DeviceList, ...errors } },
      },
      async (request) => devices.listDevices(requireContext(request), db, request.query),
    );
    app.post(
      '/devices',
      {
        config: write,
        schema: { tags: ['devices'], body: CreateDeviceRequest, response: { 201: DeviceDetail, ...errors } },
      },
      async (request, reply) =>
        reply.status(201).send(await devices.createDevice(requireContext(request), db, request.body)),
    );
    app.post(
      '/devices/bulk-update',
      {
        config: write,
        schema: {
          tags: ['devices'],
          body: BulkUpdateRequest,
          response: { 200: BulkUpdateResult, ...errors },
        },
      },
      async (request) => devices.bulkUpdate(requireContext(request), db, request.body),
    );
    app.get(
      '/devices/export.csv',
      { config: read, schema: { tags: ['devices'], querystring: DeviceFilter, produces: ['text/csv'] } },
      async (request, reply) => {
        const stamp = new Date().toISOString().slice(0, 10);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="devices-${stamp}.csv"`)
          .send(exportDevicesCsv(requireContext(request), db, request.query));
      },
    );
    // A small file is imported within its request (200 and the result); a larger one, or any with
    // background=true, in the background (202 and the import to follow at /imports/{id}).
    for (const target of IMPORT_TARGETS) {
      app.post(
        `/${target}/import`,
        {
          config: write,
          schema: {
            tags: [target],
            querystring: ImportQuery,
            response: { 200: ImportResult, 202: ImportJob, ...errors },
          },
        },
        async (request, reply) => {
          const received = await receiveImport(
            requireContext(request),
            { db, config },
            target,
            csvBody(request.body),
            {
              dryRun: request.query.dryRun === 'true',
              skipInvalid: request.query.skipInvalid === 'true',
              background: request.query.background === 'true',
            },
          );
          return 'job' in received ? reply.status(202).send(received.job) : received.result;
        },
      );
    }
    app.get(
      '/imports',
      { config: write, schema: { tags: ['imports'], response: { 200: ImportJobList, ...errors } } },
      async (request) => ({ imports: await listImports(requireContext(request), db) }),
    );
    app.get(
      '/imports/:id',
      {
        config: write,
        schema: { tags: ['imports'], params: IdParams, response: { 200: ImportJob, ...errors } },
      },
      async (request) => getImport(requireContext(request), db, request.params.id),
    );
    app.get(
      '/devices/:id',
      {
        config: read,
        schema: { tags: ['devices'], params: IdParams, response: { 200: DeviceDetailWithMdm, ...errors } },
      },
      async (request) => {
        const ctx = requireContext(request);
        const device = await devices.getDevice(ctx, db, request.params.id);
        const holder = device.currentAssignment?.person ?? null;
        const inventory = { id: device.id, model: device.model, assetTag: device.assetTag, holder };
        return { ...device, mdm: await mdmDataForDevice(ctx, db, inventory) };
      },
    );
    app.patch(
      '/devices/:id',
      {
        config: write,
        schema: {
          tags: ['devices'],
          params: IdParams,
          body: UpdateDeviceRequest,
          response: { 200: DeviceDetail, ...errors },
        },
      },
      async (request) => devices.updateDevice(requireContext(request), db, request.params.id, request.body),
    );
    app.post(
      '/devices/:id/checkout',
      {
        config: { access: 'device.actions' },
        schema: {
          tags: ['devices'],
          params: IdParams,
          body: CheckoutRequest,
          response: { 200: DeviceDetail, ...errors },
        },
      },
      async (request) =>
        devices.checkOut(requireContext(request), db, request.params.id, request.body.personId),
    );
    app.post(
      '/devices/:id/checkin',
      {
        config: { access: 'device.actions' },
        schema: {
          tags: ['devices'],
          params: IdParams,
          body: CheckinRequest,
          response: { 200: DeviceDetail, ...errors },
        },
      },
      async (request) =>
        devices.checkIn(requireContext(request), db, request.params.id, request.body.note ?? null),
    );
    app.get(
      '/devices/:id/history',
      {
        config: read,
        schema: { tags: ['devices'], params: IdParams, response: { 200: DeviceHistory, ...errors } },
      },
      async (request) => devices.deviceHistory(requireContext(request), db, request.params.id),
    );

    app.get(
      '/people',
      {
        config: read,
        schema: { tags: ['people'], querystring: PersonQuery, response: { 200: PersonList, ...errors } },
      },
      async (request) => people.listPeople(requireContext(request), db, request.query),
    );
    app.post(
      '/people',
      {
        config: write,
        schema: { tags: ['people'], body: CreatePersonRequest, response: { 201: Person, ...errors } },
      },
      async (request, reply) =>
        reply.status(201).send(await people.createPerson(requireContext(request), db, request.body)),
    );
    app.get(
      '/people/:id',
      {
        config: read,
        schema: { tags: ['people'], params: IdParams, response: { 200: PersonDetail, ...errors } },
      },
      async (request) => people.getPerson(requireContext(request), db, request.params.id),
    );
    app.patch(
      '/people/:id',
      {
        config: write,
        schema: {
          tags: ['people'],
          params: IdParams,
          body: UpdatePersonRequest,
          response: { 200: Person, ...errors },
        },
      },
      async (request) => people.updatePerson(requireContext(request), db, request.params.id, request.body),
    );

    app.get(
      '/schools',
      { config: read, schema: { tags: ['schools'], response: { 200: SchoolList, ...errors } } },
      async (request) => ({
        schools: await schools.listSchools(requireContext(request), db),
      }),
    );
    app.post(
      '/schools',
      {
        config: write,
        schema: { tags: ['schools'], body: CreateSchoolRequest, response: { 201: School, ...errors } },
      },
      async (request, reply) =>
        reply.status(201).send(await schools.createSchool(requireContext(request), db, request.body)),
    );
    app.patch(
      '/schools/:id',
      {
        config: write,
        schema: {
          tags: ['schools'],
          params: IdParams,
          body: UpdateSchoolRequest,
          response: { 200: School, ...errors },
        },
      },
      async (request) => schools.updateSchool(requireContext(request), db, request.params.id, request.body),
    );
  };
}
