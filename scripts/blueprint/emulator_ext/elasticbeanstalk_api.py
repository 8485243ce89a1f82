"""The Elastic Beanstalk query API over the backend in ``elasticbeanstalk``.

Each method reads the parameters botocore's model defines and answers with the documented
output shape; moto's serializer turns the dictionaries into the service's XML. Calls not
defined here fall through to ``unknown_actions``, which answers at once with an error that
names them.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.elasticbeanstalk import urls as moto_urls
from moto.elasticbeanstalk.responses import EBResponse

from blueprint.emulator_ext.elasticbeanstalk import ElasticBeanstalkBackend

DEFAULT_PAGE = 1000


def _tags(items: list[dict[str, str]] | None) -> dict[str, str]:
    return {item["Key"]: item.get("Value", "") for item in items or []}


def _page(
    items: list[Any], max_records: int | None, token: str | None
) -> tuple[list[Any], str | None]:
    start = int(token) if token and token.isdigit() else 0
    end = start + (max_records or DEFAULT_PAGE)
    return items[start:end], (str(end) if end < len(items) else None)


class ElasticBeanstalkResponse(EBResponse):
    @property
    def backend(self) -> ElasticBeanstalkBackend:
        backend = self.elasticbeanstalk_backend
        assert isinstance(backend, ElasticBeanstalkBackend)
        return backend

    def _request(self, *names: str) -> dict[str, Any]:
        return {name: self._get_param(name) for name in names}

    # --- applications ------------------------------------------------------------------------

    def create_application(self) -> ActionResult:
        app = self.backend.create_app(
            self._get_param("ApplicationName"),
            self._get_param("Description") or "",
            _tags(self._get_param("Tags")),
            self._get_param("ResourceLifecycleConfig"),
        )
        return ActionResult({"Application": app.describe()})

    def describe_applications(self) -> ActionResult:
        apps = self.backend.describe_apps(self._get_param("ApplicationNames") or [])
        return ActionResult({"Applications": [app.describe() for app in apps]})

    def update_application(self) -> ActionResult:
        app = self.backend.update_app(
            self._get_param("ApplicationName"), self._get_param("Description")
        )
        return ActionResult({"Application": app.describe()})

    def update_application_resource_lifecycle(self) -> ActionResult:
        app = self.backend.update_app_lifecycle(
            self._get_param("ApplicationName"), self._get_param("ResourceLifecycleConfig") or {}
        )
        return ActionResult({"ApplicationName": app.name, "ResourceLifecycleConfig": app.lifecycle})

    def delete_application(self) -> ActionResult:
        self.backend.delete_app(
            self._get_param("ApplicationName"), bool(self._get_param("TerminateEnvByForce"))
        )
        return EmptyResult()

    # --- application versions ----------------------------------------------------------------

    def create_application_version(self) -> ActionResult:
        version = self.backend.create_version(
            self._get_param("ApplicationName"),
            self._get_param("VersionLabel"),
            self._get_param("Description") or "",
            self._get_param("SourceBundle"),
            bool(self._get_param("AutoCreateApplication")),
            bool(self._get_param("Process")),
            _tags(self._get_param("Tags")),
        )
        return ActionResult({"ApplicationVersion": version.describe()})

    def describe_application_versions(self) -> ActionResult:
        versions = self.backend.describe_versions(
            self._get_param("ApplicationName"), self._get_param("VersionLabels") or []
        )
        page, token = _page(versions, self._get_param("MaxRecords"), self._get_param("NextToken"))
        return ActionResult(
            {"ApplicationVersions": [v.describe() for v in page], "NextToken": token}
        )

    def update_application_version(self) -> ActionResult:
        version = self.backend.update_version(
            self._get_param("ApplicationName"),
            self._get_param("VersionLabel"),
            self._get_param("Description"),
        )
        return ActionResult({"ApplicationVersion": version.describe()})

    def delete_application_version(self) -> ActionResult:
        self.backend.delete_version(
            self._get_param("ApplicationName"),
            self._get_param("VersionLabel"),
            bool(self._get_param("DeleteSourceBundle")),
        )
        return EmptyResult()

    # --- environments ------------------------------------------------------------------------

    def create_environment(self) -> ActionResult:
        request = self._request(
            "ApplicationName", "EnvironmentName", "Description", "CNAMEPrefix", "Tier",
            "VersionLabel", "TemplateName", "SolutionStackName", "PlatformArn", "OptionSettings",
        )  # fmt: skip
        request["Tags"] = _tags(self._get_param("Tags"))
        return ActionResult(self.backend.create_env(request).describe())

    def describe_environments(self) -> ActionResult:
        include_deleted = self._get_param("IncludeDeleted")
        envs = self.backend.describe_envs(
            self._get_param("ApplicationName"),
            self._get_param("VersionLabel"),
            self._get_param("EnvironmentIds") or [],
            self._get_param("EnvironmentNames") or [],
            include_deleted is None or bool(include_deleted),
            self._get_param("IncludedDeletedBackTo"),
        )
        page, token = _page(envs, self._get_param("MaxRecords"), self._get_param("NextToken"))
        return ActionResult({"Environments": [e.describe() for e in page], "NextToken": token})

    def update_environment(self) -> ActionResult:
        request = self._request(
            "EnvironmentId", "EnvironmentName", "Description", "VersionLabel", "TemplateName",
            "SolutionStackName", "PlatformArn", "OptionSettings", "OptionsToRemove",
        )  # fmt: skip
        return ActionResult(self.backend.update_env(request).describe())

    def terminate_environment(self) -> ActionResult:
        env = self.backend.terminate_env(
            self._get_param("EnvironmentId"), self._get_param("EnvironmentName")
        )
        return ActionResult(env.describe())

    def describe_environment_resources(self) -> ActionResult:
        resources = self.backend.env_resources(
            self._get_param("EnvironmentId"), self._get_param("EnvironmentName")
        )
        return ActionResult({"EnvironmentResources": resources})

    def describe_configuration_settings(self) -> ActionResult:
        settings = self.backend.configuration_settings(
            self._get_param("ApplicationName"),
            self._get_param("EnvironmentName"),
            self._get_param("TemplateName"),
        )
        return ActionResult({"ConfigurationSettings": [settings]})

    def check_dns_availability(self) -> ActionResult:
        return ActionResult(self.backend.check_dns(self._get_param("CNAMEPrefix")))

    # --- events and tags ---------------------------------------------------------------------

    def describe_events(self) -> ActionResult:
        filters = self._request(
            "ApplicationName", "VersionLabel", "EnvironmentId", "EnvironmentName",
            "Severity", "StartTime", "EndTime",
        )  # fmt: skip
        events = self.backend.describe_events(filters)
        page, token = _page(events, self._get_param("MaxRecords"), self._get_param("NextToken"))
        return ActionResult({"Events": [e.describe() for e in page], "NextToken": token})

    def list_tags_for_resource(self) -> ActionResult:
        arn = self._get_param("ResourceArn")
        tags = self.backend.tags_of(arn)
        return ActionResult(
            {"ResourceArn": arn, "ResourceTags": [{"Key": k, "Value": v} for k, v in tags.items()]}
        )

    def update_tags_for_resource(self) -> ActionResult:
        self.backend.change_tags(
            self._get_param("ResourceArn"),
            _tags(self._get_param("TagsToAdd")),
            self._get_param("TagsToRemove") or [],
        )
        return EmptyResult()


def install() -> None:
    # moto reads its URL table whenever it builds the service's app, after extensions install.
    for path in moto_urls.url_paths:
        moto_urls.url_paths[path] = ElasticBeanstalkResponse.dispatch
