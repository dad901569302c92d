"""Conan 2 recipe for siyu, built from this source tree.

    conan create . --build=missing --test-folder=packaging/conan/test_package
    conan create . -o "siyu/*:shared=True" --build=missing --test-folder=packaging/conan/test_package
"""
import os

from conan import ConanFile
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir


class SiyuConan(ConanFile):
    name = "siyu"
    description = "Embeddable engine for private-domain customer operations"
    license = "Apache-2.0"
    url = "https://siyu.dev"
    topics = ("crm", "scrm", "private-domain", "wecom", "analytics")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"shared": [True, False], "fPIC": [True, False]}
    default_options = {"shared": False, "fPIC": True}
    exports_sources = (
        "CMakeLists.txt", "LICENSE", "cmake/*", "include/*", "src/*", "tools/*",
    )

    def set_version(self):
        # project(siyu VERSION x.y.z) is the only place the version is written.
        text = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        self.version = text.split("project(siyu VERSION ", 1)[1].split()[0]

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        # Private dependencies: used by siyu's sources, never by its public headers.
        self.requires("boost/[>=1.74 <2]")
        self.requires("fmt/[>=9 <11]")
        self.requires("sqlitecpp/[>=3.2 <4]")
        self.requires("xxhash/[>=0.8 <0.9]")
        self.requires("simdjson/[>=3 <4]")
        self.requires("libsodium/[>=1.0.18 <2]")

    def build_requirements(self):
        self.tool_requires("cmake/[>=3.25 <4]")

    def generate(self):
        CMakeDeps(self).generate()
        toolchain = CMakeToolchain(self)
        toolchain.cache_variables["SIYU_BUILD_TESTS"] = False
        toolchain.cache_variables["SIYU_BUILD_EXAMPLES"] = False
        toolchain.cache_variables["SIYU_BUILD_TOOLS"] = False
        toolchain.cache_variables["SIYU_INSTALL"] = True
        toolchain.generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        CMake(self).install()
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "siyu")
        self.cpp_info.set_property("cmake_target_name", "siyu::siyu")
        self.cpp_info.set_property("pkg_config_name", "siyu")
        self.cpp_info.libs = ["siyu"]
        if not self.options.shared:
            self.cpp_info.defines = ["SIYU_STATIC_DEFINE"]
        self.cpp_info.requires = ["boost::date_time", "boost::headers", "fmt::fmt",
                                  "sqlitecpp::sqlitecpp", "simdjson::simdjson",
                                  "libsodium::libsodium"]
        if self.settings.os in ("Linux", "FreeBSD"):
            self.cpp_info.system_libs = ["m", "pthread"]
